// The one check of `--engine <url>`, shared by `run` and `batch` (batch passes the value verbatim to
// each `run`, so both must accept the same URLs and refuse the rest with the same sentence).

/** Why `value` is not a llama-server URL the engine can use, or undefined when it is one: http(s),
 * a host, and no query or fragment (the engine appends its own paths, such as /completion). */
export function engineUrlProblem(value: string): string | undefined {
  const refuse = `--engine needs a llama-server URL such as http://127.0.0.1:8080, got "${value}"`;
  if (/\s/.test(value) || !/^https?:\/\//i.test(value)) return refuse;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse;
  }
  return url.hostname === "" || url.search !== "" || url.hash !== "" || value.endsWith("?") || value.endsWith("#") ? refuse : undefined;
}

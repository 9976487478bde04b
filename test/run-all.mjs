// `npm test`: set-up (idempotent), build, lint, type-check, unit tests, integration tests in a real
// VS Code, then one summary line. Every step runs even when an earlier one failed, so one run shows
// everything that is wrong; the exit code is non-zero if anything failed.
import { spawn } from "node:child_process";

const steps = [
  { name: "setup", cmd: "bash", args: ["test/harness/setup.sh"] },
  { name: "build", cmd: process.execPath, args: ["build.mjs"], required: true },
  { name: "lint", cmd: process.execPath, args: ["node_modules/eslint/bin/eslint.js", "."] },
  { name: "type-check", cmd: process.execPath, args: ["node_modules/typescript/bin/tsc", "-p", ".", "--noEmit"] },
  { name: "unit", cmd: process.execPath, args: ["--test", "--test-reporter=spec", "dist-test/unit/"], counts: nodeTestCounts },
  { name: "integration", cmd: process.execPath, args: ["dist-test/harness/run-integration.js"], counts: integrationCounts },
];

function nodeTestCounts(output) {
  const pass = /^ℹ pass (\d+)/m.exec(output);
  const fail = /^ℹ fail (\d+)/m.exec(output);
  return pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : undefined;
}

function integrationCounts(output) {
  const m = /^integration: (\d+) passed, (\d+) failed/m.exec(output);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}

function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n━━ ${step.name}: ${[step.cmd === process.execPath ? "node" : step.cmd, ...step.args].join(" ")}`);
    const child = spawn(step.cmd, step.args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const forward = (stream) => (data) => {
      output += data;
      stream.write(data);
    };
    child.stdout.on("data", forward(process.stdout));
    child.stderr.on("data", forward(process.stderr));
    child.on("close", (code) => resolve({ code, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const results = [];
for (const step of steps) {
  const r = await run(step);
  let counts = step.counts?.(r.output);
  // A step without test counts (lint, build, ...) counts as one check; a step whose runner died
  // without a summary counts as one failure.
  if (!counts) counts = r.code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  else if (r.code !== 0 && counts.failed === 0) counts.failed = 1;
  results.push({ name: step.name, ok: r.code === 0, ...counts, seconds: r.seconds });
  if (step.required && r.code !== 0) break;
}

console.log("\n━━ summary");
for (const r of results) console.log(`${r.ok ? "✓" : "✗"} ${r.name.padEnd(12)} ${r.passed} passed, ${r.failed} failed (${r.seconds.toFixed(1)} s)`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0) + (results.length < steps.length ? 1 : 0);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

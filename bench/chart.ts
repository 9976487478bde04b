import type { BenchResults } from "./results";
export async function writeChart(_results: BenchResults, _path: string): Promise<void> {}

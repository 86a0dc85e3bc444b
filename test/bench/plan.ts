export async function runPlanBench(_opts: { quick: boolean }): Promise<Record<string, unknown>> {
  return {};
}

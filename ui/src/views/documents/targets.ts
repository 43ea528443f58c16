// The patient's records a document can be linked to, read with the existing list commands. A
// list the user may not read (authorization requests for a nurse) is simply empty: no banner.
import { commands, type RecordView } from "../../lib/bindings";
import { toResult } from "../../lib/ipc";
import type { LinkTarget } from "./documents";

export type TargetChoice = { id: number; label: string };
export type TargetChoices = Record<LinkTarget, TargetChoice[]>;

export const NO_TARGETS: TargetChoices = {
  trial: [],
  episode: [],
  coverage: [],
  pa_request: [],
  course: [],
} as TargetChoices;

/** Reads every list once. `records` are the chart's records when the chart already has them. */
export async function loadTargets(
  patientId: number,
  records?: readonly RecordView[] | null,
): Promise<TargetChoices> {
  const [trials, requests, listed] = await Promise.all([
    toResult(commands.listTrials(patientId)),
    toResult(commands.listPaRequests(patientId)),
    records ? Promise.resolve(null) : toResult(commands.listRecords(patientId, null)),
  ]);
  const chart = records ?? (listed?.status === "ok" ? listed.data : []);
  const ofKind = (kind: string): TargetChoice[] =>
    chart.filter((r) => r.content.kind === kind).map((r) => ({ id: r.id, label: r.title }));
  return {
    ...NO_TARGETS,
    trial:
      trials.status === "ok"
        ? trials.data.map((t) => ({ id: t.id, label: `${t.drugName}, from ${t.startDisplay}` }))
        : [],
    episode: ofKind("episode"),
    coverage: ofKind("coverage"),
    pa_request:
      requests.status === "ok"
        ? requests.data.map((q) => ({
            id: q.id,
            label: `${q.serviceLabel}, ${q.payerName} (${q.statusLabel})`,
          }))
        : [],
    course: ofKind("course"),
  };
}

// Stop strings: where a completion's text ends once one of them appears in it. By default the text ends before the
// stop string (OpenAI semantics). With `includeStop` (vLLM's include_stop_str_in_output) it ends right after it, so an
// output format whose closing tag is a stop string (the R1 template's "</answer>") reaches format rewards and answer
// parsers whole. Either way the completion's token ids keep every generated token, those spelling the stop string too.

export interface StopMatch {
  /** the completion text, cut before the stop string (or after it, with includeStop) */
  text: string;
  /** the stop string that ended the text */
  stop: string;
}

/**
 * The stop string that occurs earliest in `text` at or after character `from` (on a tie, the first in `stops`) and
 * the text cut at it; null when none occurs. Empty stop strings are ignored.
 */
export function findStop(text: string, stops: readonly string[], includeStop = false, from = 0): StopMatch | null {
  let best = -1;
  let stop = "";
  for (const s of stops) {
    if (s.length === 0) continue;
    const at = text.indexOf(s, from);
    if (at >= 0 && (best < 0 || at < best)) {
      best = at;
      stop = s;
    }
  }
  if (best < 0) return null;
  return { text: text.slice(0, includeStop ? best + stop.length : best), stop };
}

// Resumable walks (the worker's stack numbering and site collection) stop at a checkpoint that
// throws and go on from there when run again. givingWay drives one the hard way: every other
// checkpoint call throws, and the walk is run again until it finishes.

/** GivingWay is how a walk driven by givingWay ended: its result, how often it stopped, and how many checkpoint calls it made. */
export interface GivingWay<T> {
  value: T;
  stops: number;
  calls: number;
}

/** givingWay runs `run` with a checkpoint that throws at every other call, again after each throw (at most `attempts` runs). */
export function givingWay<T>(run: (checkpoint: () => void) => T, attempts = 10): GivingWay<T> {
  class GiveWay extends Error {}
  let calls = 0;
  let stops = 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return { value: run(() => { if (++calls % 2 === 1) throw new GiveWay(); }), stops, calls };
    } catch (e) {
      if (!(e instanceof GiveWay)) throw e;
      stops++;
    }
  }
  throw new Error(`still not finished after ${attempts} runs (${calls} checkpoint calls): it does not go on from where it stopped`);
}

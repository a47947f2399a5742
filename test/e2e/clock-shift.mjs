/**
 * Loaded into the core process of an end-to-end rig (NODE_OPTIONS --import)
 * to set its clock: `VD_CLOCK_AT_MS` is what Date reads at start, and the
 * clock runs on from there at the real pace. The GBV2 conformance vectors are
 * judged at their `now` (in 2030, so the clock guard never finds them behind
 * the real clock); the rig redeems them as a workstation living at that time.
 * Test-only: nothing in the app reads this variable.
 */
const at = Number(process.env.VD_CLOCK_AT_MS);
if (Number.isFinite(at) && at > 0) {
  const Real = Date;
  const offset = at - Real.now();
  const now = () => Real.now() + offset;
  globalThis.Date = new Proxy(Real, {
    construct: (target, args, newTarget) => (args.length === 0 ? Reflect.construct(target, [now()], newTarget) : Reflect.construct(target, args, newTarget)),
    apply: () => new Real(now()).toString(),
    get: (target, key, receiver) => (key === 'now' ? now : Reflect.get(target, key, receiver)),
  });
}

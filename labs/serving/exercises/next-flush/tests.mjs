// Tests for nextFlush: each case runs your rule and the reference on the same queue and compares.

const options = { maxBatchSize: 8, maxQueueDelayMs: 5 };
const same = (s, r, t, args, what) => {
  const mine = s(...args);
  const ref = r(...args);
  t.equal(JSON.stringify(mine), JSON.stringify(ref), what);
};

export default [
  { name: 'nothing waiting: null', run: (s, r, t) => same(s, r, t, [0, 0, 10, options], 'empty queue') },
  { name: 'a full batch leaves now', run: (s, r, t) => same(s, r, t, [8, 3, 10, options], 'exactly full') },
  { name: 'more than a batch waiting: a full batch, not more', run: (s, r, t) => same(s, r, t, [20, 3, 10, options], 'overfull') },
  { name: 'a partial batch waits for the oldest request’s deadline', run: (s, r, t) => same(s, r, t, [3, 8, 10, options], 'partial, before the deadline') },
  { name: 'a partial batch past its deadline leaves now', run: (s, r, t) => same(s, r, t, [3, 1, 10, options], 'partial, deadline passed') },
  { name: 'no queue delay: whatever waits leaves at once', run: (s, r, t) => same(s, r, t, [2, 9, 10, { maxBatchSize: 32, maxQueueDelayMs: 0 }], 'delay 0') },
  { name: 'batch size 1: every request alone, at once', run: (s, r, t) => same(s, r, t, [5, 0, 4, { maxBatchSize: 1, maxQueueDelayMs: 10 }], 'size 1') },
  {
    name: 'bad options are refused',
    run: async (s, r, t) => {
      await t.throws(() => s(1, 0, 0, { maxBatchSize: 0, maxQueueDelayMs: 1 }), 'maxBatchSize 0');
      await t.throws(() => s(1, 0, 0, { maxBatchSize: 2.5, maxQueueDelayMs: 1 }), 'maxBatchSize 2.5');
      await t.throws(() => s(1, 0, 0, { maxBatchSize: 4, maxQueueDelayMs: -1 }), 'a negative delay');
    },
  },
];

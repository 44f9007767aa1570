import assert from 'node:assert/strict';
import { RingBuffer } from '../../../src/webview/ringBuffer';

describe('RingBuffer', () => {
  it('keeps values in order until full', () => {
    const ring = new RingBuffer(4);
    [1, 2, 3].forEach((v) => ring.push(v));
    assert.equal(ring.length, 3);
    assert.deepEqual(ring.toArray(), [1, 2, 3]);
    assert.equal(ring.at(0), 1);
    assert.equal(ring.at(-1), 3);
    assert.equal(ring.at(3), undefined);
  });

  it('overwrites the oldest once full, and never grows past its capacity', () => {
    const ring = new RingBuffer(3);
    for (let v = 1; v <= 10; v++) ring.push(v);
    assert.equal(ring.length, 3);
    assert.deepEqual(ring.toArray(), [8, 9, 10]);
    assert.equal(ring.at(0), 8);
    assert.equal(ring.at(-1), 10);
  });

  it('holds an hour of 1-second samples in exactly 3,600 slots', () => {
    const ring = new RingBuffer(3600);
    for (let s = 0; s < 7200; s++) ring.push(s);
    assert.equal(ring.length, 3600);
    assert.equal(ring.at(0), 3600);
    assert.equal(ring.at(-1), 7199);
  });

  it('turns NaN (a gap) into null for the charts', () => {
    const ring = new RingBuffer(3);
    ring.push(1);
    ring.push(NaN);
    ring.push(3);
    assert.deepEqual(ring.toArray(), [1, null, 3]);
  });

  it('clears', () => {
    const ring = new RingBuffer(2);
    ring.push(1);
    ring.clear();
    assert.equal(ring.length, 0);
    assert.deepEqual(ring.toArray(), []);
    ring.push(5);
    assert.deepEqual(ring.toArray(), [5]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new RingBuffer(0), /positive integer capacity, got 0/);
    assert.throws(() => new RingBuffer(2.5), TypeError);
  });
});

// Allure 3 calls Iterator.prototype.toArray (Node 22+). On Node 20 its quality gate crashes without
// this; preloaded with NODE_OPTIONS=--require by our scripts. No-op on Node 22.
const IteratorProto = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
if (typeof IteratorProto.toArray !== 'function') {
  Object.defineProperty(IteratorProto, 'toArray', {
    configurable: true,
    writable: true,
    value: function toArray() {
      const out = [];
      for (let r = this.next(); !r.done; r = this.next()) out.push(r.value);
      return out;
    },
  });
}

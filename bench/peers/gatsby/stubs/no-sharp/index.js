// The benchmark page processes no images: processing throws, while the module-level helpers Gatsby
// calls while loading (simd, cache, concurrency) are harmless no-ops.
function sharp() {
  throw new Error("sharp is stubbed out in the benchmark's Gatsby peer");
}
sharp.simd = () => false;
sharp.cache = () => ({});
sharp.concurrency = () => 1;
sharp.counters = () => ({});
sharp.versions = { vips: "0.0.0" };
sharp.format = {};
module.exports = sharp;
module.exports.default = sharp;

// The benchmark page processes no images; anything that calls sharp fails loudly.
module.exports = function sharp() {
  throw new Error("sharp is stubbed out in the benchmark's Gatsby peer");
};
module.exports.versions = { vips: "0.0.0" };

/** The benchmark peer: defaults, no image optimisation, traced from its own folder. */
module.exports = { images: { unoptimized: true }, poweredByHeader: false, outputFileTracingRoot: __dirname };

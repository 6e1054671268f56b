/** The benchmark peer: defaults, no telemetry, no image optimisation. */
module.exports = { images: { unoptimized: true }, poweredByHeader: false };

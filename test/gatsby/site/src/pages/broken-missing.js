import React from "react";
import { thing } from "ssr-pages-gatsby-fixture-not-installed";

export default function BrokenMissing() {
  return <p>{thing}</p>;
}

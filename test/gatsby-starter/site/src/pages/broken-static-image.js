import * as React from "react";
import { StaticImage } from "gatsby-plugin-image";

// The image this points at does not exist.
export default function BrokenStaticImage() {
  return <StaticImage src="../images/not-there.png" width={64} alt="missing" />;
}

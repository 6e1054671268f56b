import React from "react";
import "fake-throws-at-load";

export default function BrokenThrows() {
  return <p>never</p>;
}

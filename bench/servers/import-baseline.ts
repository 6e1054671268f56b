// The start-up baseline of bench/build.ts: Node importing what any server of these pages imports
// (express, react, react-dom/server), then saying so. Nothing of ssr-pages. It stays until stopped,
// so its memory and CPU time can be read once it has said so.
import express from "express";
import React from "react";
import { renderToString } from "react-dom/server";

console.log(`READY ${typeof express}${typeof React.createElement}${typeof renderToString}`);
setInterval(() => undefined, 1 << 30);

import * as React from "react";

import Layout from "../components/layout";
import Env from "../components/env";

export default function EnvPage() {
  return (
    <Layout>
      <h1>Environment</h1>
      <Env />
    </Layout>
  );
}

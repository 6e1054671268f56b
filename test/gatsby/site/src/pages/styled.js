import React from "react";
import "fake-carousel/css";
import { Carousel } from "fake-carousel";
import { I18nLink } from "gatsby-plugin-fake-i18n";

export default function Styled({ location }) {
  return (
    <div>
      <Carousel />
      <I18nLink to="/ssr/param-path/i18n" language="de" id="i18n-link">Deutsch</I18nLink>
      <p id="state">{JSON.stringify(location.state ?? null)}</p>
    </div>
  );
}

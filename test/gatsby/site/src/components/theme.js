// Shared by gatsby-ssr.js and gatsby-browser.js, as Gatsby sites do.
import React from "react";

export const ThemeContext = React.createContext("no theme");

export const wrapRootElement = ({ element }) => <ThemeContext.Provider value="dark">{element}</ThemeContext.Provider>;

/** The types of the bodies the core writes itself. */
export const HTML_TYPE = "text/html; charset=utf-8";
export const JSON_TYPE = "application/json; charset=utf-8";
export const TEXT_TYPE = "text/plain; charset=utf-8";
export const PAGE_DATA_STREAM_TYPE = "application/x-ndjson; charset=utf-8";

/** The request header in which the proxy (src/proxy.ts) records a page's path and query for the sign-in redirect. */
export const PATH_HEADER = 'x-lapis-path';

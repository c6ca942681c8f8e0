// `command:` links in trusted Markdown (hovers), built so that any argument — a function name with
// an unbalanced `)`, `]`, quotes, `%41`, newlines or bidi controls — arrives intact. Pure (no vscode
// import) so the round trip is unit-tested against a model of what VS Code does with the link.

/**
 * commandUri is `command:ID?QUERY` where QUERY is the JSON of `args`, percent-encoded twice.
 * VS Code decodes a link's query twice before JSON.parse: URI.parse decodes it once, then its
 * command opener (and the extension host's Markdown transfer) call decodeURIComponent on the
 * result. Encoded once, a `%41` inside a name would come back as `A`. encodeURIComponent leaves
 * `( ) ' ! * ~` as they are; `(` and `)` would end a Markdown link destination, so the Markdown
 * link builder (markdownLink) percent-encodes those.
 */
export function commandUri(command: string, args: readonly unknown[]): string {
  return `command:${command}?${encodeURIComponent(encodeURIComponent(JSON.stringify(args)))}`;
}

/** Text escaped for element content. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text as a CDATA section, the way production QĐ 130 writers wrap free text (§2.1); `]]>` split safely. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** `<NAME>value</NAME>`, the value escaped or, for free text, in CDATA; `<NAME />` when empty. */
export function element(name: string, value: string, options: { readonly cdata?: boolean } = {}): string {
  if (value === '') return `<${name} />`;
  return `<${name}>${options.cdata ? cdata(value) : escapeXml(value)}</${name}>`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to put inside HTML, an attribute's value included. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * A whole page: the shell every stand-in page shares, with the stand-in's name above `body`.
 * `body` is HTML: everything in it that came from outside must already be escaped.
 */
export function htmlPage({ title, site, style, body }: { title: string; site: { name: string; className: string }; style: string; body: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(site.name)}</title>
<style>${style}</style>
</head>
<body>
<main>
<p class="${site.className}">${escapeHtml(site.name)}</p>
${body}
</main>
</body>
</html>
`;
}

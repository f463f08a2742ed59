"""A basic accessibility check run on the key pages of the browser tests.

Three rules a screen-reader user notices at once: every visible form field has a name (a
<label>, aria-label or aria-labelledby), headings inside the main content do not skip a
level going down (h1 then h3), and every image has an alt attribute (empty for decoration).
"""

_PROBLEMS_JS = """
() => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
    && getComputedStyle(el).visibility !== 'hidden';
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.name ? '[name=' + el.name + ']' : '');
  const fields = document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]),'
    + 'select, textarea');
  for (const el of fields) {
    if (!visible(el)) continue;
    const named = (el.labels && el.labels.length)
      || (el.getAttribute('aria-label') || '').trim()
      || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some(id => id && document.getElementById(id));
    if (!named) problems.push('form field without a label: ' + describe(el));
  }
  const main = document.querySelector('main') || document.querySelector('#content') || document.body;
  let previous = 0;
  for (const h of main.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    if (!visible(h)) continue;
    const level = Number(h.tagName[1]);
    if (previous && level > previous + 1) {
      const text = h.textContent.trim().slice(0, 60);
      problems.push('heading skips a level: h' + previous + ' then h' + level + ' "' + text + '"');
    }
    previous = level;
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push('image without alt: ' + img.getAttribute('src'));
  }
  return problems;
}
"""


def problems(page) -> list[str]:
    return page.evaluate(_PROBLEMS_JS)


def check(page):
    found = problems(page)
    assert not found, f"accessibility problems on {page.url}:\n" + "\n".join(found)

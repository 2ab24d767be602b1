// innostudio's adjustments to Decap CMS (forms.md, "One editor per studio, usable on a phone"):
// - a new achievement is named <YYYY>-<slug>.md: without a typed slug, the type code (hyphens for
//   underscores) is used, as `innostudio new` does; the slug itself is never written to the file;
// - Chinese messages that do not mislead: a pattern's message is the checker's wording, shown as is.
function fillSlug({ entry }) {
  const data = entry.get('data');
  if (!entry.get('newRecord') || !data.has('type') || data.get('slug')) return data;
  return data.set('slug', String(data.get('type') || 'achievement').replace(/_/g, '-'));
}

function locale(CMS) {
  const zh = CMS.getLocale('zh_Hans');
  if (!zh) return;
  const phrases = JSON.parse(JSON.stringify(zh));
  Object.assign(phrases.editor.editorControlPane.widget, {
    regexPattern: '“%{fieldLabel}”%{pattern}',
  });
  CMS.registerLocale('zh_Hans', phrases);
}

// On a phone the toolbar is fixed at the top (innostudio-phone.css) and may wrap onto a second line:
// the form starts below it, however tall it is.
function followToolbar() {
  if (typeof ResizeObserver === 'undefined') return;
  const root = document.documentElement;
  const sizes = new ResizeObserver(entries => {
    for (const e of entries) root.style.setProperty('--inno-toolbar-h', `${e.target.offsetHeight}px`);
  });
  let seen = null;
  new MutationObserver(() => {
    const bar = document.querySelector('[class*="-EditorContainer"] > [class*="-ToolbarContainer"]');
    if (bar && bar !== seen) {
      if (seen) sizes.unobserve(seen);
      seen = bar;
      sizes.observe(bar);
    }
  }).observe(document.body, { childList: true, subtree: true });
}

export function setup(CMS) {
  followToolbar();
  locale(CMS);
  CMS.registerEventListener({ name: 'preSave', handler: fillSlug });
}

// innostudio's file formats for Decap CMS: the canonical layout of innostudio fmt
// (src/innostudio/canonical.py implements the same rules; tests compare the two).
// Reading uses the pinned `yaml` package (YAML 1.2 core schema: dates stay text).
import { YAML } from './yaml/index.js';

const SPECIAL_WORDS = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const NUMLIKE = /^[-+]?(?:\.[0-9]|[0-9])[0-9A-Za-z_.:+-]*$|^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$/;
const DATE = /^[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?$/;
const FIRST_BAD = "-?:,[]{}#&*!|>'\"%@` \t";
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;

function plainOk(s) {
  if (!s || FIRST_BAD.includes(s[0]) || ' \t:'.includes(s[s.length - 1]) || s.includes('\n') || s.includes('\t')) return false;
  if (s.includes(': ') || s.includes(' #') || CONTROL.test(s)) return false;
  if (s.startsWith('---') || s.startsWith('...')) return false;
  if (SPECIAL_WORDS.test(s)) return false;
  if (NUMLIKE.test(s) && !DATE.test(s)) return false;
  return true;
}

function literalOk(s) {
  if (!s.includes('\n') || CONTROL.test(s) || s.includes('\t') || s.trim() === '') return false;
  if (s.endsWith('\n\n') || s[0] === ' ' || s[0] === '\n') return false;
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  return body.split('\n').every(line => line === line.replace(/ +$/, ''));
}

function scalar(v, indent) {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
    return String(v);
  }
  const s = String(v);
  if (plainOk(s)) return s;
  if (literalOk(s)) {
    const header = s.endsWith('\n') ? '|' : '|-';
    const body = s.endsWith('\n') ? s.slice(0, -1) : s;
    return header + '\n' + body.split('\n').map(line => (line ? indent + '  ' + line : '')).join('\n');
  }
  return JSON.stringify(s);
}

const key = k => (plainOk(String(k)) ? String(k) : JSON.stringify(String(k)));
const isMap = v => v !== null && typeof v === 'object' && !Array.isArray(v);

function valueLines(head, v, indent, listIndent) {
  if (isMap(v)) return Object.keys(v).length ? [head, ...dumpMap(v, indent + '  ')] : [head + ' {}'];
  if (Array.isArray(v)) return v.length ? [head, ...dumpList(v, listIndent)] : [head + ' []'];
  return [head + ' ' + scalar(v, indent)];
}

function dumpMap(d, indent) {
  const out = [];
  for (const k of Object.keys(d)) out.push(...valueLines(`${indent}${key(k)}:`, d[k], indent, indent));
  return out;
}

function dumpList(items, indent) {
  const out = [];
  for (const v of items) {
    if ((isMap(v) && Object.keys(v).length) || (Array.isArray(v) && v.length)) {
      const inner = isMap(v) ? dumpMap(v, indent + '  ') : dumpList(v, indent + '  ');
      out.push(indent + '- ' + inner[0].slice(indent.length + 2), ...inner.slice(1));
    } else {
      out.push(...valueLines(indent + '-', v, indent + '  ', indent + '  '));
    }
  }
  return out;
}

export function dump(data) {
  const lines = isMap(data) ? (Object.keys(data).length ? dumpMap(data, '') : ['{}'])
    : Array.isArray(data) ? (data.length ? dumpList(data, '') : ['[]']) : [scalar(data, '')];
  return lines.join('\n') + '\n';
}

const empty = v => v === null || v === undefined || v === '' || (isMap(v) && Object.keys(v).length === 0);

// Key order of the data contract at every level, enum labels to codes, empty values left out.
export function normalise(value, shape) {
  shape = shape || {};
  if (isMap(value)) {
    let out = {};
    if (shape.keys) {
      for (const k of Object.keys(shape.keys)) if (k in value) out[k] = normalise(value[k], shape.keys[k]);
      for (const k of Object.keys(value)) if (!(k in shape.keys)) out[k] = normalise(value[k], {});
    } else if (shape.dict) {
      const coded = {};
      for (const k of Object.keys(value)) coded[shape.dict.enum[k] || k] = value[k];
      const order = shape.dict.order;
      const rank = k => (order.includes(k) ? order.indexOf(k) : order.length);
      for (const k of Object.keys(coded).sort((a, b) => rank(a) - rank(b))) out[k] = normalise(coded[k], shape.values);
    } else {
      for (const k of Object.keys(value)) out[k] = normalise(value[k], {});
    }
    const kept = {};
    for (const k of Object.keys(out)) if (!empty(out[k])) kept[k] = out[k];
    return kept;
  }
  if (Array.isArray(value)) return value.map(v => normalise(v, shape.items));
  if (typeof value === 'string' && shape.enum) return shape.enum[value.trim()] || value;
  return value;
}

function parseYaml(text) {
  const data = YAML.parse(text.replace(/^\ufeff/, '').replace(/\r\n/g, '\n'));
  return isMap(data) ? data : {};
}

function splitFrontMatter(text) {
  text = text.replace(/^\ufeff/, '').replace(/\r\n/g, '\n');
  const open = text.match(/^---[ \t]*\n/);
  if (!open) return { front: '', body: text };
  const close = /^(?:---|\.\.\.)[ \t]*$/m;
  const rest = text.slice(open[0].length);
  const m = close.exec(rest);
  if (!m) return { front: rest, body: '' };
  let bodyStart = m.index + m[0].length;
  if (rest[bodyStart] === '\n') bodyStart += 1;
  return { front: rest.slice(0, m.index), body: rest.slice(bodyStart) };
}

// What the editor reads from a file and what it writes back (also used by the tests).
export function fromFile(kind, text) {
  if (kind === 'achievement') {
    const { front, body } = splitFrontMatter(text || '');
    return { ...parseYaml(front), body };
  }
  return parseYaml(text || '');
}

export function toFile(kind, data, shapes) {
  if (kind === 'achievement') {
    const { body, slug, ...meta } = data; // slug: only the new file's name (innostudio-setup.js)
    const front = normalise(meta, shapes.achievement);
    return '---\n' + (Object.keys(front).length ? dump(front) : '') + '---\n' + (body || '');
  }
  const out = normalise(data, shapes[kind]);
  return Object.keys(out).length ? dump(out) : '';
}

export function register(CMS, shapes) {
  for (const kind of Object.keys(shapes)) {
    const extension = kind === 'achievement' ? 'md' : 'yml';
    CMS.registerCustomFormat(`innostudio-${kind}`, extension, {
      fromFile: text => fromFile(kind, text),
      toFile: data => toFile(kind, data, shapes),
    });
  }
}

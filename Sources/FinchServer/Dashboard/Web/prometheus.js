// Reads the Prometheus text exposition format (what /metrics serves) and derives rates and
// latency quantiles from two successive scrapes.

/** Parses exposition text into families: Map name → {type, samples: [{name, labels, value}]}. */
export function parseMetrics(text) {
  const families = new Map();
  const family = (name) => {
    if (!families.has(name)) families.set(name, {type: 'untyped', samples: []});
    return families.get(name);
  };
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (trimmed.startsWith('#')) {
      const parts = trimmed.split(/\s+/);
      if (parts[1] === 'TYPE' && parts.length >= 4) family(parts[2]).type = parts[3];
      continue;
    }
    const sample = parseSample(trimmed);
    if (!sample) continue;
    family(familyName(sample.name, families)).samples.push(sample);
  }
  return families;
}

function familyName(sampleName, families) {
  for (const suffix of ['_bucket', '_sum', '_count', '_total']) {
    if (sampleName.endsWith(suffix)) {
      const base = sampleName.slice(0, -suffix.length);
      if (families.has(base)) return base;
    }
  }
  return sampleName;
}

function parseSample(line) {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
  if (!match) return null;
  const labels = {};
  const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  let label;
  while ((label = labelPattern.exec(match[3] || '')) !== null) {
    labels[label[1]] = label[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  const value = match[4] === '+Inf' ? Infinity : match[4] === '-Inf' ? -Infinity : Number(match[4]);
  return {name: match[1], labels, value};
}

/** The first label name of a sample that contains `part` ("route" finds http_route). */
export function labelNamed(labels, part) {
  return Object.keys(labels).find((name) => name.includes(part));
}

/**
 * Per-route request statistics between two scrapes (`before` may be null: totals since start).
 * Picks the counter family whose samples carry route and status labels and the histogram family
 * whose samples carry a route label, whatever the service names them.
 * Returns [{route, method, requests, errors, rate, p50, p99}] sorted by route.
 */
export function routeStatistics(after, before, seconds) {
  const counter = findFamily(after, (f) => (f.type === 'counter') && f.samples.some((s) =>
    labelNamed(s.labels, 'route') && labelNamed(s.labels, 'status')));
  const histogram = findFamily(after, (f) => f.type === 'histogram' && f.samples.some((s) =>
    s.name.endsWith('_bucket') && labelNamed(s.labels, 'route')));
  const rows = new Map();
  const row = (labels) => {
    const route = labels[labelNamed(labels, 'route')];
    const method = labels[labelNamed(labels, 'method') || ''] || '';
    const id = `${method} ${route}`;
    if (!rows.has(id)) rows.set(id, {route, method, requests: 0, errors: 0, buckets: new Map()});
    return rows.get(id);
  };
  if (counter) {
    const old = before ? before.get(counter.name) : null;
    for (const sample of counter.family.samples) {
      const delta = sample.value - previousValue(old, sample);
      const entry = row(sample.labels);
      entry.requests += delta;
      if (Number(sample.labels[labelNamed(sample.labels, 'status')]) >= 500) entry.errors += delta;
    }
  }
  if (histogram) {
    const old = before ? before.get(histogram.name) : null;
    for (const sample of histogram.family.samples) {
      if (!sample.name.endsWith('_bucket')) continue;
      const labels = {...sample.labels};
      const bound = labels.le === '+Inf' ? Infinity : Number(labels.le);
      delete labels.le;
      const entry = row(labels);
      const delta = sample.value - previousValue(old, sample);
      entry.buckets.set(bound, (entry.buckets.get(bound) || 0) + delta);
    }
  }
  return [...rows.values()]
    .map((entry) => ({
      route: entry.route, method: entry.method, requests: entry.requests, errors: entry.errors,
      rate: seconds > 0 ? entry.requests / seconds : NaN,
      p50: quantile(entry.buckets, 0.5), p99: quantile(entry.buckets, 0.99),
    }))
    .sort((a, b) => (a.route + a.method).localeCompare(b.route + b.method));
}

function findFamily(families, predicate) {
  for (const [name, family] of families) if (predicate(family)) return {name, family};
  return null;
}

function previousValue(oldFamily, sample) {
  if (!oldFamily) return 0;
  const key = JSON.stringify(sample.labels);
  const match = oldFamily.samples.find((s) => s.name === sample.name && JSON.stringify(s.labels) === key);
  // A counter that went down means the service restarted: count from zero.
  return match && match.value <= sample.value ? match.value : 0;
}

/** The q-quantile of cumulative histogram buckets (Map upper bound → count), interpolated linearly as Prometheus does. */
export function quantile(buckets, q) {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  if (bounds.length === 0) return NaN;
  const total = buckets.get(bounds[bounds.length - 1]);
  if (!(total > 0)) return NaN;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound);
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      return lowerBound + (bound - lowerBound) * ((rank - lowerCount) / Math.max(count - lowerCount, 1e-12));
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

/** Sum of the plain samples of every family whose name contains all `parts` (gauges: queue depth); NaN when none. */
export function gaugeSum(families, parts) {
  let sum = NaN;
  for (const [name, family] of families) {
    if (!parts.every((part) => name.includes(part))) continue;
    for (const sample of family.samples) {
      if (sample.name !== name) continue;
      sum = (Number.isNaN(sum) ? 0 : sum) + sample.value;
    }
  }
  return sum;
}

/** The mean observation of the histogram families whose name contains all `parts` (batch sizes); NaN when none. */
export function histogramMean(families, parts) {
  let sum = 0;
  let count = 0;
  for (const [name, family] of families) {
    if (!parts.every((part) => name.includes(part))) continue;
    for (const sample of family.samples) {
      if (sample.name === `${name}_sum`) sum += sample.value;
      if (sample.name === `${name}_count`) count += sample.value;
    }
  }
  return count > 0 ? sum / count : NaN;
}

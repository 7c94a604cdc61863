// The map/reduce views the shop's CouchDB keeps for the long-range figures, installed by
// scripts/couch-setup.js as the design document _design/listening-post-figures. Built-in
// reducers only (_sum), so the server computes every total itself, in Erlang.
//
// The app reads these rows (src/domain/figures.rs): change a map, or the layout of a value,
// and raise VERSION here and FIGURES_VERSION there together; the setup's next run upgrades
// the design document in place, and an app newer than the server's views says which step to
// run.
//
// cards: one value per card, emitted four times (every branch as null, and the card's own):
//   ["day", branch|null, day]            ["tp", branch|null, touchpoint, day]
//   value: [cards, rated, satisfied, recommended, promoters, passives, detractors,
//           overall 1..5 (5 counts), recommend 0..10 (11 counts)]
// ratings: each rating answer, twice (every branch as null, and the card's own):
//   [branch|null, template, template_version, question, day]  value: counts of 0..10
// The day is the card's local day at the shop's offset from UTC, fixed at setup.

const VERSION = 1;

/** A map function's first lines: cards only, and `day`, the card's day at the shop's offset. */
function cardDay(offsetMinutes) {
  return `  if (doc._id.indexOf('card-') !== 0 || typeof doc.created !== 'string') return;
  var t = Date.parse(doc.created);
  if (isNaN(t)) return;
  var day = new Date(t + ${offsetMinutes} * 60000).toISOString().slice(0, 10);`;
}

function cards(offsetMinutes) {
  return `function (doc) {
${cardDay(offsetMinutes)}
  var a = doc.answers || {};
  var v = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  var o = a.overall && a.overall.rating;
  if (typeof o === 'number') {
    v[1] = 1;
    if (o >= 4) v[2] = 1;
    if (o >= 1 && o <= 5 && o === Math.floor(o)) v[6 + o] = 1;
  }
  var r = a.recommend && a.recommend.rating;
  if (typeof r === 'number') {
    v[3] = 1;
    if (r === 9 || r === 10) v[4] = 1;
    else if (r === 7 || r === 8) v[5] = 1;
    else v[6] = 1;
    if (r >= 0 && r <= 10 && r === Math.floor(r)) v[12 + r] = 1;
  }
  var b = typeof doc.branch === 'string' ? doc.branch : '';
  var tp = typeof doc.touchpoint === 'string' ? doc.touchpoint : '';
  emit(['day', null, day], v);
  emit(['day', b, day], v);
  emit(['tp', null, tp, day], v);
  emit(['tp', b, tp, day], v);
}`;
}

function ratings(offsetMinutes) {
  return `function (doc) {
${cardDay(offsetMinutes)}
  var b = typeof doc.branch === 'string' ? doc.branch : '';
  var a = doc.answers || {};
  for (var q in a) {
    var r = a[q] && a[q].rating;
    if (typeof r !== 'number' || r < 0 || r > 10 || r !== Math.floor(r)) continue;
    var h = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    h[r] = 1;
    emit([null, doc.template, doc.template_version, q, day], h);
    emit([b, doc.template, doc.template_version, q, day], h);
  }
}`;
}

/** The design document, for days counted at `offsetMinutes` east of UTC. */
function design(offsetMinutes) {
  return {
    _id: '_design/listening-post-figures',
    version: VERSION,
    offset_minutes: offsetMinutes,
    language: 'javascript',
    views: {
      cards: { map: cards(offsetMinutes), reduce: '_sum' },
      ratings: { map: ratings(offsetMinutes), reduce: '_sum' },
    },
  };
}

/** "+03:30" or "-05:00" as minutes east of UTC; null when it is not one. */
function parseOffset(text) {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(text || '');
  if (!m || Number(m[3]) >= 60 || Number(m[2]) > 14) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function showOffset(minutes) {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

module.exports = { VERSION, design, parseOffset, showOffset };

// Builds export files the way another device would have written them.
const crypto = require('node:crypto');

const SETTINGS_ID = '4c505345-5454-494e-4753-000000000001';

function meta(at) {
  return { id: crypto.randomUUID(), created: at, updated: at, v: 1 };
}

function card(i, at = new Date(Date.UTC(2026, 4, 1, 9, i % 60)).toISOString()) {
  return {
    ...meta(at),
    template: '00000000-0000-4000-8000-000000000007',
    template_version: 1,
    lang: i % 2 ? 'fa' : 'en',
    branch: 'Tajrish',
    touchpoint: 'counter',
    answers: {
      overall: { rating: (i % 5) + 1 },
      recommend: { rating: i % 11 },
      improve: { text: i % 2 ? 'صف صندوق طولانی بود' : 'Queue was long' },
    },
  };
}

function settings(name, at = '2026-05-01T08:00:00Z') {
  return {
    id: SETTINGS_ID, created: at, updated: at, v: 1,
    business_name: name,
    branches: ['Tajrish', 'ونک'],
    segments: ['Regulars'],
    sla_hours: { suggestion: 72, criticism: 48, complaint: 24, compliment: 72 },
    weights: { reliability: 32, assurance: 19, tangibles: 11, empathy: 16, responsiveness: 22 },
    follow_up_days: 3,
  };
}

/** Settings with the business's name in both languages and two branches, each with its Persian name. */
function shopSettings() {
  const s = settings('Nour Home Goods');
  s.business_name_fa = 'لوازم خانگی نور';
  s.branches = ['Tajrish', 'Vanak'];
  s.branch_names_fa = { Tajrish: 'تجریش', Vanak: 'ونک' };
  return s;
}

function feedback(description, at = '2026-05-02T10:00:00Z') {
  return {
    ...meta(at), kind: 'complaint', channel: 'phone', dimension: 'responsiveness', segment: '', customer: '',
    contact: null, description, occurred: at, status: 'new', assignee: '', response: '', notes: '', history: [], card: null,
  };
}

// The RATER model's guiding-question ids (src/domain/models/assessment-models.json).
const RATER_ITEMS = ['promises_kept', 'dependable_systems', 'consistent_on_time', 'room_to_improve', 'skills_every_channel',
  'training_needs', 'inspire_trust', 'attractive_evidence', 'website_current', 'fallback_channels', 'social_media',
  'matches_brand', 'communicate_well', 'clear_timely', 'show_care', 'value_empathy', 'sincere_attention',
  'customer_viewpoint', 'prompt_access', 'complaints_answered', 'willing_to_help', 'resolved_in_time'];

/** A finished RATER assessment on `day` with every question rated `current` now and 6 desired. */
function assessment(day, current, { team = 'Tajrish', actions = [] } = {}) {
  const at = `${day}T09:00:00.000Z`;
  const ratings = {};
  for (const id of RATER_ITEMS) ratings[id] = { current, desired: 6, note: '' };
  return { ...meta(at), model: 'rater', assessor: 'Sara', team, date: day, ratings, actions, finished: true };
}

function file({ settings: s = [], cards = [], feedback: f = [], templates = [], assessments = [] } = {}) {
  return JSON.stringify({
    format: 'listening-post', version: 1, exported: '2026-05-03T00:00:00.000Z',
    settings: s, templates, cards, assessments, feedback: f,
  });
}

module.exports = { card, settings, shopSettings, feedback, assessment, file, SETTINGS_ID, RATER_ITEMS };

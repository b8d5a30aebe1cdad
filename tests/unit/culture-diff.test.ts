import { describe, expect, it } from 'vitest';
import { diffPackVersions, type PackVersionSnapshot } from '~/.server/culture/diff';
import type { SupportResources, Tone } from '~/lib/culture';

const tone: Tone = {
  formality: 'neutral',
  warmth: 'warm',
  directness: 'balanced',
  wordsToUse: ['team member', 'huddle'],
  wordsToAvoid: ['staff'],
  addressAs: 'first name',
};

const resources: SupportResources = {
  eap: { name: 'Wellbeing line', phone: '0800 123 4567' },
  hrContact: { name: 'People team', email: 'hr@acme.example' },
  supportContact: { name: 'Duty manager', phone: '0161 496 0000' },
  defaultCountry: 'GB',
  byCountry: { GB: { emergency: '999', crisisLine: 'Samaritans', crisisPhone: '116 123' } },
};

const v1: PackVersionSnapshot = {
  documents: [
    { name: 'shift-swaps.md', contentHash: 'h1' },
    { name: 'leave.pdf', contentHash: 'h2' },
    { name: 'conduct.docx', contentHash: 'h3' },
  ],
  tone,
  norms: [
    { kind: 'do', text: 'Thank people by name.' },
    { kind: 'dont', text: 'Discuss pay in public.' },
  ],
  resources,
};

describe('diffPackVersions', () => {
  it('reports nothing for identical versions', () => {
    expect(diffPackVersions(v1, structuredClone(v1))).toEqual({
      documentsAdded: [],
      documentsRemoved: [],
      documentsChanged: [],
      toneChanges: [],
      normsAdded: [],
      normsRemoved: [],
      resourcesChanged: false,
    });
  });

  it('finds added, removed and changed documents by name and content hash', () => {
    const v2: PackVersionSnapshot = {
      ...v1,
      documents: [
        { name: 'shift-swaps.md', contentHash: 'h1' },
        { name: 'leave.pdf', contentHash: 'h2-edited' },
        { name: 'recognition.md', contentHash: 'h4' },
        { name: 'attendance.md', contentHash: 'h5' },
      ],
    };
    const diff = diffPackVersions(v1, v2);
    expect(diff.documentsAdded).toEqual(['attendance.md', 'recognition.md']);
    expect(diff.documentsRemoved).toEqual(['conduct.docx']);
    expect(diff.documentsChanged).toEqual(['leave.pdf']);
  });

  it('lists each tone field that changed with its old and new value', () => {
    const v2 = { ...v1, tone: { ...tone, formality: 'formal' as const, wordsToAvoid: ['staff', 'resources'] } };
    expect(diffPackVersions(v1, v2).toneChanges).toEqual([
      { field: 'formality', from: 'neutral', to: 'formal' },
      { field: 'wordsToAvoid', from: ['staff'], to: ['staff', 'resources'] },
    ]);
  });

  it('compares norms by kind and text, ignoring whitespace differences', () => {
    const v2 = {
      ...v1,
      norms: [
        { kind: 'do' as const, text: 'Thank  people by name. ' },
        { kind: 'do' as const, text: 'Discuss pay in public.' },
        { kind: 'do' as const, text: 'Start each shift with a huddle.' },
      ],
    };
    const diff = diffPackVersions(v1, v2);
    expect(diff.normsAdded).toEqual([
      { kind: 'do', text: 'Discuss pay in public.' },
      { kind: 'do', text: 'Start each shift with a huddle.' },
    ]);
    expect(diff.normsRemoved).toEqual([{ kind: 'dont', text: 'Discuss pay in public.' }]);
  });

  it('detects resource changes but not key reordering', () => {
    const reordered = JSON.parse(JSON.stringify(resources, ['supportContact', 'hrContact', 'eap', 'byCountry', 'defaultCountry', 'GB', 'emergency', 'crisisPhone', 'crisisLine', 'name', 'phone', 'email'])) as SupportResources;
    expect(Object.keys(reordered)[0]).toBe('supportContact');
    expect(diffPackVersions(v1, { ...v1, resources: reordered }).resourcesChanged).toBe(false);
    const changed = { ...resources, byCountry: { ...resources.byCountry, IE: { emergency: '112', crisisLine: 'Samaritans' } } };
    expect(diffPackVersions(v1, { ...v1, resources: changed }).resourcesChanged).toBe(true);
  });

  it('treats a first publish as everything added', () => {
    const diff = diffPackVersions(null, v1);
    expect(diff.documentsAdded).toEqual(['conduct.docx', 'leave.pdf', 'shift-swaps.md']);
    expect(diff.normsAdded).toEqual(v1.norms);
    expect(diff.toneChanges.map((c) => c.field)).toEqual(['formality', 'warmth', 'directness', 'wordsToUse', 'wordsToAvoid', 'addressAs']);
    expect(diff.toneChanges[0]).toEqual({ field: 'formality', from: null, to: 'neutral' });
    expect(diff.resourcesChanged).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/engine/commands.js';
import { decide } from '../../src/engine/decide.js';
import { findThirdPartyData, isNirKey, isRefusedKind, type ThirdPartyKind } from '../../src/engine/third-party-data.js';
import { guardWritten } from '../../src/engine/written-guard.js';
import { clientOf, consultant, meetingAt, ok, refused, runningMeetingId, T0 } from './fixtures.js';

// Each row: a text, and the passages the guard must mark in it with their kind.
const FOUND: [string, [ThirdPartyKind, string][]][] = [
  ['Son numéro : 1 41 03 75 112 123 47, à vérifier.', [['nir', '1 41 03 75 112 123 47']]],
  ['NIR 2.85.06.92.012.345.14', [['nir', '2.85.06.92.012.345.14']]],
  ['164129935012306', [['nir', '164129935012306']]],
  ['né en Corse du Sud : 1 75 02 2A 004 012 27', [['nir', '1 75 02 2A 004 012 27']]],
  ['Haute-Corse, 2 55 03 2b 004 012 30.', [['nir', '2 55 03 2b 004 012 30']]],
  ['carte Vitale n° 1234 5678 90', [['insuranceNumber', '1234 5678 90']]],
  ['numéro de sécurité sociale : 12345678901', [['insuranceNumber', '12345678901']]],
  ['health card 987654321012', [['insuranceNumber', '987654321012']]],
  ['Appeler sa fille au 06 12 34 56 78 ce soir', [['phone', '06 12 34 56 78']]],
  ['tel 0612345678', [['phone', '0612345678']]],
  ['joindre le +33 6 12 34 56 78', [['phone', '+33 6 12 34 56 78']]],
  ['her son: +44 20 7946 0958', [['phone', '+44 20 7946 0958']]],
  ['écrire à jeanne.dupont@example.fr demain', [['email', 'jeanne.dupont@example.fr']]],
  ['Mme Dupont, née le 12/03/1941, refuse ses soins', [['birthDate', 'née le 12/03/1941']]],
  ['un résident né le 3 mars 1938', [['birthDate', 'né le 3 mars 1938']]],
  ['date de naissance : 01.02.1950', [['birthDate', 'date de naissance : 01.02.1950']]],
  ['He was born on March 3, 1938.', [['birthDate', 'born on March 3, 1938']]],
  ['DOB: 1941-03-12', [['birthDate', 'DOB: 1941-03-12']]],
  ['chambre 12, Mme Dupont a chuté', [['roomNumber', 'chambre 12, Mme Dupont']]],
  ['ch. 12 M. Martin', [['roomNumber', 'ch. 12 M. Martin']]],
  ['Chambre 12, Mme Dupont : que dit-elle ?', [['roomNumber', 'Chambre 12, Mme Dupont']]],
  ['room 12 Mrs Smith fell', [['roomNumber', 'room 12 Mrs Smith']]],
  ['Jeanne Dupont (chambre 4B) ne mange plus', [['roomNumber', 'Jeanne Dupont (chambre 4B']]],
  [
    'M. Martin, chambre 8, tel 06 12 34 56 78',
    [
      ['roomNumber', 'M. Martin, chambre 8'],
      ['phone', '06 12 34 56 78'],
    ],
  ],
];

// Texts a director writes every day: none of them names anyone.
const UNTOUCHED = [
  'En 2024, nous avons ouvert une unité protégée.',
  'Un budget de 1 250 000 € pour la rénovation.',
  'Notre FINESS est 750712184.',
  'FINESS 750712184, SIRET 73282932000074.',
  'SIRET : 732 829 320 00074',
  'Un taux d’occupation de 97,5 % cette année.',
  'La réunion est à 14h30, jusqu’à 16:45.',
  'Prochaine séance le 12/03/2025 à 9h.',
  "Selon l'article L312-1 du CASF, nous devons…",
  'Un ratio de 0,6 ETP pour 10 résidents.',
  '1 41 03 75 112 123 48 (clé fausse)',
  'Les chambres 12 à 18 sont en travaux.',
  'La chambre 12 est libre depuis lundi.',
  'Mme la directrice souhaite en parler.',
  'Quel est le coût moyen de 45 000 € par place ?',
  '3 départs sur 42 salariés en 2023-2024.',
  'Le projet 2025-2030 prévoit 120 lits.',
  'Nous avons 25 résidents nés avant 1940.',
  'Appel à projets n° 2024-07-1234 de l’ARS.',
  'Horaires : 7h-21h, week-end compris.',
  'Un GIR moyen pondéré de 720 et un PMP de 230.',
  'How do I get 12 people to agree by 15/06?',
  'Version 2.3.1 du logiciel de soins.',
  'Le numéro vert 3977 contre la maltraitance.',
];

describe('third-party data detectors', () => {
  it.each(FOUND)('marks %j', (text, expected) => {
    const found = findThirdPartyData(text).map((f) => [f.kind, text.slice(f.start, f.end)]);
    expect(found).toEqual(expected);
  });

  it.each(UNTOUCHED)('leaves %j untouched', (text) => {
    expect(findThirdPartyData(text)).toEqual([]);
  });

  it('has at least twenty texts that must pass', () => {
    expect(UNTOUCHED.length).toBeGreaterThanOrEqual(20);
  });

  it('checks the NIR key modulo 97, Corsica counted as 19 and 18', () => {
    expect(isNirKey('1410375112123', '47')).toBe(true);
    expect(isNirKey('1410375112123', '46')).toBe(false);
    expect(isNirKey('175022A004012', '27')).toBe(true);
    expect(isNirKey('255032B004012', '30')).toBe(true);
    expect(isNirKey('255032A004012', '30')).toBe(false);
  });

  it('refuses the health numbers and asks about the rest', () => {
    expect(isRefusedKind('nir')).toBe(true);
    expect(isRefusedKind('insuranceNumber')).toBe(true);
    expect(isRefusedKind('phone')).toBe(false);
    expect(isRefusedKind('roomNumber')).toBe(false);
  });
});

describe('the guard on what people write', () => {
  const question = (text: string, confirmed = false): Command =>
    confirmed ? { type: 'askQuestion', text, confirmedThirdPartyData: true } : { type: 'askQuestion', text };

  it('holds a question with a phone number for its author, with kinds and ranges only', () => {
    const group = meetingAt(2);
    const text = 'Sa fille au 06 12 34 56 78 ?';
    const held = refused(decide(group, consultant(group), question(text), T0), 'confirmThirdPartyData');
    expect(held.refusal.passages).toEqual([{ field: 'text', kind: 'phone', start: 12, end: 26 }]);
    expect(JSON.stringify(held.refusal)).not.toContain('06 12');
    const sent = ok(group, consultant(group), question(text, true));
    expect(sent.group.runs[runningMeetingId(group)]!.questions.map((q) => q.text)).toEqual([text]);
  });

  it('refuses a NIR even when the person chose to send anyway', () => {
    const group = meetingAt(2);
    const held = refused(decide(group, consultant(group), question('NIR 1 41 03 75 112 123 47', true), T0), 'thirdPartyData');
    expect(held.refusal.passages?.map((passage) => passage.kind)).toEqual(['nir']);
  });

  it('says who may write first: the client asking is refused as such, whatever the text', () => {
    const group = meetingAt(2);
    refused(decide(group, clientOf(group), question('Sa fille au 06 12 34 56 78 ?'), T0), 'notConsultant');
  });

  it('checks every field of a topic and an evaluation comment', () => {
    expect(
      guardWritten({ type: 'saveTopic', kind: 'projet', title: 'Projet', context: 'écrire à a.b@example.fr', question: 'Comment ?' }),
    ).toMatchObject({
      refusal: { code: 'confirmThirdPartyData', passages: [{ field: 'context', kind: 'email' }] },
    });
    expect(guardWritten({ type: 'evaluate', rating: 4, comment: 'Mme Durand, née le 2 mai 1930' })).toMatchObject({
      refusal: { passages: [{ field: 'comment', kind: 'birthDate' }] },
    });
    expect(guardWritten({ type: 'evaluate', rating: 4 })).toBeUndefined();
  });
});

// What the five directors of a year-long group bring to each of their five meetings, shared
// by the Slack and Teams tests of a whole year so both play the same year.

export interface MeetingScript {
  topic: { topicKind: string; topicTitle: string; topicContext: string; topicQuestion: string };
  /** Asked by the first two consultants, in order. */
  questions: [string, string];
  contract: string;
  /** Offered by the first two consultants; the client keeps the first. */
  suggestions: [{ suggestionKind: string; suggestionText: string }, { suggestionKind: string; suggestionText: string }];
  action: string;
  /** What the client says at the next meeting's opening about this meeting's action. */
  followUp: string;
}

const themes = [
  ['Absentéisme des équipes de nuit', 'Trois veilleurs sur huit en arrêt', 'stabiliser l’équipe de nuit'],
  ['Conflit entre deux cadres de santé', 'Deux cadres ne se parlent plus depuis l’été', 'renouer le dialogue entre les cadres'],
  ['Arrivée d’un nouveau logiciel de soins', 'Les équipes refusent la tablette au lit du résident', 'faire adopter le dossier de soins'],
  ['Plaintes répétées d’une famille', 'Une famille écrit chaque semaine à la direction', 'apaiser la relation avec la famille'],
  ['Budget de formation réduit de moitié', 'Le plan de formation ne tient plus', 'former sans budget'],
] as const;

/** The year: meeting n's script at index n - 1. */
export const YEAR: MeetingScript[] = themes.map(([title, context, aim], i) => ({
  topic: { topicKind: 'probleme', topicTitle: title, topicContext: `${context}.`, topicQuestion: `Comment ${aim} ?` },
  questions: [`Séance ${i + 1} : depuis quand est-ce ainsi ?`, `Séance ${i + 1} : qu’avez-vous déjà essayé ?`],
  contract: `Séance ${i + 1} : trois pistes pour ${aim} d’ici trois mois.`,
  suggestions: [
    { suggestionKind: 'idee', suggestionText: `Séance ${i + 1} : un entretien individuel avec chacun` },
    { suggestionKind: 'experience', suggestionText: `Séance ${i + 1} : chez nous, un médiateur externe a aidé` },
  ],
  action: `Séance ${i + 1} : entretiens individuels avant la prochaine séance`,
  followUp: `Séance ${i + 1} : deux entretiens sur trois sont faits`,
}));

/** The learning a member notes at a meeting: theirs alone, told apart by name and meeting. */
export const learningOf = (name: string, number: number) => `Séance ${number} : ce que ${name} retient`;

/** An evaluation's comment, which only the animateur reads, anonymously. */
export const evaluationOf = (number: number, i: number) => `Séance ${number} : avis ${i + 1}, séance utile`;

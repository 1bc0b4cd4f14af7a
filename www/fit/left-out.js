// A study's model on a file that lacks one of its LA characteristics (the national sample has no
// LA Gini column, so Webb et al.'s model cannot let the social gradient change with income
// inequality): the model is written without it, and the page says what is left out and why.
// (LA-level deprivation is not left out: the page can derive it from the neighbourhoods.)

/** The characteristics a study's model may use, the file's column each needs, and their names. */
const CHARACTERISTICS = [
  { choice: 'gini', role: 'gini', name: 'LA income inequality (the Gini coefficient)', column: 'LA Gini coefficient' },
  { choice: 'rural', role: 'rural', name: 'rurality', column: 'Rural neighbourhood' },
];

/** The characteristics `choices` use for which `roles` (the file's columns by role) have no column. */
export function leftOut(choices, roles) {
  return CHARACTERISTICS.filter((c) => choices[c.choice] && choices[c.choice] !== 'omit' && !roles[c.role]);
}

/** What the page says about a study's model written without the characteristics `left`. */
export function leftOutWords(preset, left) {
  const names = left.map((c) => c.name);
  const columns = left.map((c) => `"${c.column}"`);
  const list = (xs) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}` : xs[0]);
  return `The model "${preset.title}" is written without ${list(names)}: this file has no ${list(columns)} `
    + `column (step 2). Everything else is the study's model. To include ${left.length > 1 ? 'them' : 'it'}, choose `
    + 'such a column in step 2 and choose the model again.';
}

// Task content of a realistic size: a title, a paragraph of description, two labels.

const DESCRIPTION =
  'Collect the open questions from the last review, check them against the current plan and write down who owns each one. ' +
  'Link the related tasks, note the deadline that matters and flag anything that blocks the release. ' +
  'Keep the summary short enough to read on a phone; details go in the linked documents.';

const STATUSES = ['todo', 'doing', 'done'] as const;

export function taskInput(index: number): { title: string; description: string; status: string; labels: string[] } {
  return {
    title: `Follow up on roadmap item ${String(index).padStart(5, '0')} with the team`,
    description: DESCRIPTION,
    status: STATUSES[index % STATUSES.length]!,
    labels: ['planning', `area-${index % 7}`],
  };
}

/** A title of the same length as the fixture's, for edits that keep the JSON size. */
export const editTitle = (counter: number): string => `Edited roadmap item title, revision ${String(counter).padStart(9, '0')}`;

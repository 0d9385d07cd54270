/**
 * Acceptance criteria and the lab report, shared by every lab. Typical use on a lab page:
 *
 *   const evaluations = evaluateCriteria(lab.criteria, measured);
 *   progressStore().recordLab(lab.id, { results: measured, criteria: metMap(evaluations) });
 *   downloadFile(reportFileName(lab.id, 'md'), labReportMarkdown({ lab, environment, criteria: evaluations, charts }), mime.markdown);
 */
export * from './criteria';
export * from './report';
export * from './zip';
export * from './download';

// A node test reporter that prints, after the run, how long each test file's top-level tests
// took (the sum of their durations): the CI budget is spent file by file, and TAP does not say
// which file a test came from.
export default async function* fileDurations(source) {
  const byFile = new Map();
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      byFile.set(event.data.file, (byFile.get(event.data.file) ?? 0) + (event.data.details?.duration_ms ?? 0));
    }
  }
  const rows = [...byFile].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
  yield `# file durations: ${rows.length} files, ${(total / 1000).toFixed(0)} s in all; the longest:\n`;
  for (const [file, ms] of rows.slice(0, 30))
    yield `#   ${(ms / 1000).toFixed(1).padStart(7)} s  ${file.replace(`${process.cwd()}/`, '')}\n`;
}

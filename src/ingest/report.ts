// The load report as text for the terminal (Japanese). Shows 宛名番号, never names or addresses.
import type { LoadReport } from './load.ts';

export function formatLoadReport(r: LoadReport): string {
  const lines: string[] = [];
  const head = r.status === 'unchanged'
    ? `このパッケージは取り込み済みです（取り込み番号 ${r.loadId}）。ストアは変更していません。`
    : `取り込み完了（取り込み番号 ${r.loadId}）`;
  lines.push(head);
  lines.push(`  団体: ${r.municipalityCode} ${r.municipalityName}`);
  lines.push(`  処理済み日 (processedThrough): ${r.processedThrough}  抽出: ${r.extractedAt}`);
  lines.push(`  履歴: ${r.historyMode === 'full' ? '全件 (full)' : `差分 (delta, since ${r.since})`}  文字コード: ${r.encoding}`);
  for (const f of r.files) lines.push(`  ${f.name}: ${f.rows.toLocaleString('ja-JP')} 行`);
  lines.push(`  新しい履歴行: ${r.historyRowsNew.toLocaleString('ja-JP')}`);
  lines.push(`  所要時間: ${(r.durationMs / 1000).toFixed(1)} 秒`);
  for (const w of r.warnings) lines.push(`  警告: ${w}`);
  if (r.charset.length > 0) {
    lines.push('  文字:');
    for (const c of r.charset) {
      const parts = [];
      if (c.gaijiRows) parts.push(`外字を含む行 ${c.gaijiRows}`);
      if (c.outsideCp932Rows) parts.push(`CP932 外の文字を含む行 ${c.outsideCp932Rows}（${c.outsideChars.join(' ')}）`);
      lines.push(`    ${c.file} ${c.column}: ${parts.join('、')}`);
    }
  }
  if (r.findings.length === 0) {
    lines.push('  データ品質: 指摘なし');
  } else {
    lines.push('  データ品質の指摘（エラーではありません。取り込みは完了しています）:');
    for (const g of r.findings) {
      lines.push(`    ${g.title}: ${g.count} 件`);
      for (const f of g.examples.slice(0, 10)) {
        lines.push(`      宛名番号 ${f.宛名番号}${f.履歴番号 != null ? ` 履歴番号 ${f.履歴番号}` : ''}: ${f.detail}`);
      }
      if (g.count > 10) lines.push(`      …ほか ${g.count - 10} 件（ストアの load_findings に記録）`);
    }
  }
  if (r.snapshots.length > 0) {
    lines.push('  ストアのスナップショット:');
    for (const s of r.snapshots) {
      lines.push(`    #${s.load_id} ${s.processed_through} ${s.history_mode} 新規 ${s.history_rows_new.toLocaleString('ja-JP')} 行（${s.loaded_at} 取り込み）`);
    }
  }
  return lines.join('\n');
}

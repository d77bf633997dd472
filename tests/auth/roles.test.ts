// Roles: Japanese names and romaji aliases, cumulative levels.
import { describe, expect, it } from 'vitest';
import { hasLevel, parseRole, ROLE_LEVEL, ROLES } from '../../src/auth/roles.ts';

describe('roles', () => {
  it('are four cumulative levels in order', () => {
    expect(ROLES).toEqual(['閲覧者', 'EUC担当', '個人一覧', '管理者']);
    expect(ROLES.map((r) => ROLE_LEVEL[r])).toEqual([1, 2, 3, 4]);
    expect(hasLevel('管理者', '個人一覧')).toBe(true);
    expect(hasLevel('EUC担当', '個人一覧')).toBe(false);
    expect(hasLevel('個人一覧', 3)).toBe(true);
  });

  it('parse from Japanese names and romaji aliases', () => {
    expect(parseRole('閲覧者')).toBe('閲覧者');
    expect(parseRole(' 管理者 ')).toBe('管理者');
    expect(parseRole('EUC担当')).toBe('EUC担当');
    expect(parseRole('euc担当')).toBe('EUC担当');
    expect(parseRole('ＥＵＣ担当')).toBe('EUC担当');
    expect(parseRole('viewer')).toBe('閲覧者');
    expect(parseRole('EUC')).toBe('EUC担当');
    expect(parseRole('persons')).toBe('個人一覧');
    expect(parseRole('Admin')).toBe('管理者');
  });

  it('refuse anything else', () => {
    for (const text of ['', 'root', '管理', 'administrator', '支援措置閲覧']) expect(parseRole(text), text).toBeUndefined();
  });
});

// Whether a slug can name a new server: the ServerSpec pattern, the reserved list and the registry.
import { RESERVED_SLUGS, SLUG_PATTERN } from '../../../../../lib/spec/server-spec';
import { findServerBySlug } from '../../store/servers';

export type SlugAvailability =
  | { slug: string; available: true }
  | { slug: string; available: false; reason: 'invalid' | 'reserved' | 'taken'; message: string };

export async function slugAvailability(db: D1Database, slug: string): Promise<SlugAvailability> {
  if (!SLUG_PATTERN.test(slug)) {
    return {
      slug,
      available: false,
      reason: 'invalid',
      message: '3–40 characters: lowercase letters, digits and -, starting with a letter.',
    };
  }
  if (RESERVED_SLUGS.has(slug)) {
    return { slug, available: false, reason: 'reserved', message: 'This slug is reserved.' };
  }
  if (await findServerBySlug(db, slug)) {
    return { slug, available: false, reason: 'taken', message: 'Another server uses this slug.' };
  }
  return { slug, available: true };
}

/** The slug itself when free, else the first free "slug-2", "slug-3", … (for derived slugs). */
export async function freeSlugLike(db: D1Database, slug: string): Promise<string> {
  if ((await slugAvailability(db, slug)).available) return slug;
  for (let i = 2; i < 50; i++) {
    const candidate = `${slug.slice(0, 36)}-${i}`;
    if ((await slugAvailability(db, candidate)).available) return candidate;
  }
  return slug;
}

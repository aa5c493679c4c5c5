// The platform operator: the first account created on this deployment (like the first user of a
// self-hosted Grafana or Gitea). Only it may rotate signing keys over the API.
export async function isOperator(db: D1Database, userId: string): Promise<boolean> {
  const row = await db
    .prepare('SELECT id FROM users ORDER BY created_at ASC, id ASC LIMIT 1')
    .first<{ id: string }>();
  return row?.id === userId;
}

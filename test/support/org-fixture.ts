import type { TestApp } from './test-app.js';

export interface SeededPerson {
  id: string;
  email: string;
  departmentId: string | null;
  token: string;
}

export interface SeededOrg {
  marketing: { id: string; slug: string };
  sales: { id: string; slug: string };
  marketingHead: SeededPerson;
  salesHead: SeededPerson;
  marketingMember: SeededPerson;
  salesMember: SeededPerson;
}

function expectStatus(response: { status: number; body: unknown }, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  }
}

export async function createPerson(
  t: TestApp,
  body: { name: string; email: string; role: string; departmentId?: string | null; timezone?: string },
  token?: string,
): Promise<SeededPerson> {
  const created = await t.as(token).post('/api/people').send(body);
  expectStatus(created, 201, `create ${body.email}`);
  const issued = await t.as().post(`/api/people/${created.body.id}/tokens`).send({ name: 'tests' });
  expectStatus(issued, 201, `token for ${body.email}`);
  return { id: created.body.id, email: created.body.email, departmentId: created.body.departmentId, token: issued.body.token };
}

/** Marketing and Sales, each with a head and a member who can sign in. */
export async function seedOrg(t: TestApp): Promise<SeededOrg> {
  const marketing = await t.as().post('/api/departments').send({ name: 'Marketing', timezone: 'Europe/Paris' });
  expectStatus(marketing, 201, 'create marketing');
  const sales = await t.as().post('/api/departments').send({ name: 'Sales', timezone: 'Europe/Paris' });
  expectStatus(sales, 201, 'create sales');
  return {
    marketing: marketing.body,
    sales: sales.body,
    marketingHead: await createPerson(t, { name: 'Maëlle Head', email: 'maelle@example.com', role: 'head', departmentId: marketing.body.id }),
    salesHead: await createPerson(t, { name: 'Samir Head', email: 'samir@example.com', role: 'head', departmentId: sales.body.id }),
    marketingMember: await createPerson(t, { name: 'Marc Member', email: 'marc@example.com', role: 'member', departmentId: marketing.body.id }),
    salesMember: await createPerson(t, { name: 'Sofia Member', email: 'sofia@example.com', role: 'member', departmentId: sales.body.id }),
  };
}

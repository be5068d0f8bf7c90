// Create and Bind (guide "Import Company"): create the ConnectWise company in Pax8 with its primary contact,
// then bind the two. Told as a story like sync/apply: lock, journal before send, recover, create, bind, audit.
// A retry, a double click or a lost answer never creates a second Pax8 company.
import { randomUUID } from 'node:crypto';
import type { ConnectWiseClient } from '../connectwise/index.ts';
import { AppError, isAppError } from '../errors.ts';
import { createCompanyBody, type NewCompany, type NewContact } from '../pax8/company-input.ts';
import type { Pax8Client } from '../pax8/index.ts';
import type { Repositories } from '../store/index.ts';
import { cwContactsOf } from './prefill.ts';

/** Long enough for one Pax8 walk and one POST; a crashed holder frees it after this. */
export const CREATE_LOCK_TTL_MS = 60_000;

export type ContactChoice = { kind: 'new'; contact: NewContact } | { kind: 'existing'; cwContactId: number };

export type CreateAndBindInput = { cwCompanyId: number; company: NewCompany; contact: ContactChoice };

export type CreateAndBindResult = {
  binding: { cwCompanyId: number; pax8CompanyId: string; name: string };
  /** created: Pax8 made it now; found: an earlier attempt had made it (its answer was lost); already: bound before. */
  outcome: 'created' | 'found' | 'already';
};

type Deps = {
  tenantId: string;
  actor: string;
  repos: Pick<Repositories, 'companyBindings' | 'companyCreations' | 'locks' | 'audit'>;
  cw: Pick<ConnectWiseClient, 'companies' | 'contacts'>;
  pax8: Pick<Pax8Client, 'companies'>;
  now: () => Date;
};

/** The Pax8 company made for a ConnectWise company carries its id as externalId (Pax8's "PSA ID bridge"). */
export const externalIdOf = (cwCompanyId: number) => String(cwCompanyId);

export async function createAndBind(deps: Deps, input: CreateAndBindInput): Promise<CreateAndBindResult> {
  const { tenantId, repos } = deps;
  const { cwCompanyId } = input;
  await deps.cw.companies.get(cwCompanyId); // a 404 names the company before anything is written

  // Bound already: a double click after success answers the same; a binding to another company is refused.
  const bound = await repos.companyBindings.byCw(tenantId, cwCompanyId);
  if (bound) {
    const made = await repos.companyCreations.get(tenantId, cwCompanyId);
    if (made?.state === 'done' && made.pax8CompanyId === bound.pax8CompanyId) {
      return {
        binding: { cwCompanyId, pax8CompanyId: bound.pax8CompanyId, name: input.company.name },
        outcome: 'already',
      };
    }
    throw new AppError('conflict', 'This company is already bound to a Pax8 company; unbind it first');
  }
  const contact = await contactOf(deps, input);

  const owner = randomUUID();
  const lockKey = `company-create:${cwCompanyId}`;
  if (!(await repos.locks.acquire(tenantId, lockKey, owner, CREATE_LOCK_TTL_MS, deps.now()))) {
    throw new AppError('conflict', 'This company is being created in Pax8 right now; try again in a moment');
  }
  try {
    // Journal before send: the row says an attempt may have reached Pax8, so a retry looks before it creates.
    const body = createCompanyBody(input.company, contact, externalIdOf(cwCompanyId));
    await repos.companyCreations.claim(tenantId, {
      cwCompanyId,
      request: body,
      createdBy: deps.actor,
    });
    // Recover: a company an earlier attempt created (answer lost, process killed), or one created before an
    // unbind, has our externalId; one deleted in Pax8 since is not bound again.
    const mine = (await deps.pax8.companies.all()).find(
      (c) => c.externalId === externalIdOf(cwCompanyId) && c.status !== 'Deleted',
    );
    if (mine) {
      await repos.companyCreations.settle(tenantId, cwCompanyId, { state: 'done', pax8CompanyId: mine.id });
      return await bindAndAudit(deps, input, mine.id, 'found');
    }

    await repos.companyCreations.settle(tenantId, cwCompanyId, { state: 'sent' });
    let created: { id: string };
    try {
      created = await deps.pax8.companies.create(body);
    } catch (err) {
      if (isAppError(err) && err.code === 'upstream_rejected') {
        // Pax8 refused it: nothing was created, so the member may correct the fields and send again.
        await repos.companyCreations.settle(tenantId, cwCompanyId, { state: 'failed', error: err.message });
        throw err;
      }
      // No answer, or a 5xx: it may exist. The row stays 'sent'; the next attempt looks for it first.
      throw new AppError(
        'write_outcome_unknown',
        'Pax8 did not confirm the new company. Try again: the retry looks for it in Pax8 before creating one.',
        { cause: err },
      );
    }
    await repos.companyCreations.settle(tenantId, cwCompanyId, { state: 'done', pax8CompanyId: created.id });
    return await bindAndAudit(deps, input, created.id, 'created');
  } finally {
    await repos.locks.release(tenantId, lockKey, owner);
  }
}

async function contactOf(deps: Deps, input: CreateAndBindInput): Promise<NewContact> {
  if (input.contact.kind === 'new') return input.contact.contact;
  const { cwContactId } = input.contact;
  const found = (await cwContactsOf(deps.cw, input.cwCompanyId)).find((c) => c.cwContactId === cwContactId);
  const refuse = (message: string) =>
    new AppError('bad_request', message, { details: [{ path: 'contact.cwContactId', message }] });
  if (!found) throw refuse(`Contact ${cwContactId} is not an active contact of this company in ConnectWise`);
  if (!found.email) {
    throw refuse(
      `${found.name} has no email in ConnectWise; Pax8 sends order confirmations to it. Add one, or create a new contact.`,
    );
  }
  const [firstName = found.name, ...rest] = found.name.split(' ');
  return { firstName, lastName: rest.join(' ') || firstName, email: found.email };
}

async function bindAndAudit(
  deps: Deps,
  input: CreateAndBindInput,
  pax8CompanyId: string,
  outcome: 'created' | 'found',
): Promise<CreateAndBindResult> {
  const { tenantId, repos, actor } = deps;
  await repos.companyBindings.bind(tenantId, {
    cwCompanyId: input.cwCompanyId,
    pax8CompanyId,
    createdBy: actor,
  });
  await repos.audit.append(tenantId, {
    actor,
    action: 'company.create_and_bind',
    target: `company:${input.cwCompanyId}`,
    after: { pax8CompanyId, pax8Name: input.company.name, outcome },
  });
  return { binding: { cwCompanyId: input.cwCompanyId, pax8CompanyId, name: input.company.name }, outcome };
}

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Group } from '../../src/engine/types.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { FakeSlackApi } from '../support/fakes/slack-api.js';
import { startService as startProcess, waitForPort } from '../support/service-process.js';
import { CHANNEL_ID, PEOPLE, SIGNING_SECRET, TEAM_ID } from '../slack/fixtures.js';
import { setUpGroup, slackDriver, type Driver } from '../support/app.js';

// The service as a real process (`tsx src/main.ts`, SQLite file, Slack against the
// fake Web API) is killed with SIGKILL in the middle of a meeting, then started again: the
// meeting resumes at the same step and nothing acknowledged is lost.

const CONVERSATION = { platform: 'slack' as const, tenantId: TEAM_ID, channelId: CHANNEL_ID };
const QUESTIONS = ['Depuis quand les arrêts ont-ils augmenté ?', 'Qui remplace la nuit ?'];

interface Running {
  child: ChildProcess;
  port: number;
  exited: Promise<NodeJS.Signals | null>;
}

async function startService(env: NodeJS.ProcessEnv): Promise<Running> {
  const started = startProcess({ PORT: '0', ...env });
  try {
    const port = await waitForPort(started, 30_000);
    return { child: started.child, port, exited: started.exited.then(({ signal }) => signal) };
  } catch (error) {
    started.child.kill('SIGKILL');
    throw error;
  }
}

describe('crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codev-crash-'));
  const file = join(dir, 'codev.sqlite');
  const fake = new FakeSlackApi({ teamId: TEAM_ID, users: PEOPLE });
  const target = { base: '', slack: fake };
  let env: NodeJS.ProcessEnv;
  let service: Running;
  let driver: Driver;
  let store: Store;

  beforeAll(async () => {
    await fake.start();
    env = {
      DATABASE_URL: `sqlite:${file}`,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: fake.token,
      SLACK_API_URL: fake.apiUrl,
      RETENTION_DAYS: '90',
    };
    service = await startService(env);
    target.base = `http://127.0.0.1:${service.port}`;
    driver = slackDriver(target);
    store = createSqliteStore(file);
  });
  afterAll(async () => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await store.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The group as the database holds it, once `check` holds (work after an ack is asynchronous). */
  async function groupWhen(check: (group: Group) => boolean): Promise<Group> {
    let group: Group | undefined;
    await expect
      .poll(
        async () => {
          group = (await store.findGroupByConversation(CONVERSATION))?.group;
          return group !== undefined && check(group);
        },
        { timeout: 10_000, interval: 50 },
      )
      .toBe(true);
    return group!;
  }
  const stepOf = (group: Group) => group.runs[group.meetings.find((m) => m.status === 'running')?.id ?? '']?.step;

  it('resumes at the same step with everything written, after a SIGKILL mid-meeting', async () => {
    const animateur = PEOPLE[0]!.id;
    const members = PEOPLE.slice(1).map((p) => p.id);
    const today = new Date().toISOString().slice(0, 10);
    await setUpGroup(driver, { conversation: CONVERSATION, animateur, members }, { setupName: 'Codév EMS', setupDate: today });
    let group = await groupWhen((g) => g.members.length === members.length);
    // RETENTION_DAYS reached the group created by the running service.
    expect(group.retentionDays).toBe(90);
    const meeting = group.meetings[0]!;
    const consultants = members.filter((m) => m !== meeting.clientId);
    await driver.act(meeting.clientId, { type: 'saveTopic' }, group.id, meeting.id, {
      topicKind: 'projet',
      topicTitle: 'Nuits',
      topicContext: 'Équipe de nuit',
      topicQuestion: 'Comment stabiliser ?',
    });
    await driver.command(animateur, 'démarrer');
    await groupWhen((g) => stepOf(g) === 0);
    // The card's button, which names its step: two moves typed within seconds are one.
    for (const step of [1, 2] as const) {
      await driver.act(animateur, { type: 'next', from: (step - 1) as 0 | 1 }, group.id, meeting.id);
      await groupWhen((g) => stepOf(g) === step);
    }
    for (const [i, text] of QUESTIONS.entries()) {
      await driver.act(consultants[i]!, { type: 'askQuestion' }, group.id, meeting.id, { questionText: text });
    }
    group = await groupWhen((g) => g.runs[meeting.id]!.questions.length === QUESTIONS.length);

    // Killed without warning, right after the last acknowledged answer.
    service.child.kill('SIGKILL');
    expect(await service.exited).toBe('SIGKILL');
    service = await startService(env);
    target.base = `http://127.0.0.1:${service.port}`;

    const after = (await store.findGroupByConversation(CONVERSATION))!.group;
    expect(after).toEqual(group);
    const before = fake.calls.length;
    await driver.command(consultants[2]!, 'état');
    await expect.poll(() => fake.calls.slice(before).some((c) => c.method === 'response_url'), { timeout: 5_000 }).toBe(true);
    const status = fake.calls.slice(before).find((c) => c.method === 'response_url');
    const shown = JSON.stringify(status?.args.blocks);
    expect(shown).toContain('Clarification');
    for (const text of QUESTIONS) expect(shown).toContain(JSON.stringify(text).slice(1, -1));
    // And the meeting goes on from there.
    await driver.act(consultants[2]!, { type: 'askQuestion' }, group.id, meeting.id, { questionText: 'Et le budget ?' });
    await driver.act(animateur, { type: 'next', from: 2 }, group.id, meeting.id);
    const resumed = await groupWhen((g) => stepOf(g) === 3);
    expect(resumed.runs[meeting.id]!.questions.map((q) => q.text)).toEqual([...QUESTIONS, 'Et le budget ?']);
    expect(resumed.topics[meeting.id]?.title).toBe('Nuits');
  }, 90_000);
});

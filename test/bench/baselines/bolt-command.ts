// Bare Bolt: an @slack/bolt App on its own HTTPReceiver (Bolt's default
// receiver: signature check, body parsing, ack as the HTTP answer) with one
// `/task` handler that acks at once and then replies through respond() to the
// response_url, as Slack's docs show it. No store, no parsing of the command:
// the floor a Bolt slash command stands on.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

export interface BoltCommandOptions {
  signingSecret: string;
  botToken: string;
  /** Where Bolt's WebClient goes (auth.test for the token), e.g. the Slack double's /api/. */
  slackApiUrl: string;
}

export interface BoltCommandApp {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

export async function startBoltCommandApp(options: BoltCommandOptions): Promise<BoltCommandApp> {
  const receiver = new HTTPReceiver({ signingSecret: options.signingSecret, endpoints: '/slack/events', logLevel: LogLevel.WARN });
  const app = new App({ token: options.botToken, receiver, logLevel: LogLevel.WARN, clientOptions: { slackApiUrl: options.slackApiUrl } });
  app.command('/task', async ({ command, ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: `Received /task ${command.text}` });
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  server.keepAliveTimeout = 5_000;
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, stop: () => app.stop().then(() => undefined) };
}

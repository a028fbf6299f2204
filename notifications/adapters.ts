/**
 * Delivery adapters: where a rendered notification actually goes. The log adapter is the default
 * (development, and the SMS gateway until one is contracted); SMTP carries e-mail when configured.
 */
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { NotificationChannel } from '../domain/case';
import type { RenderedMessage } from './templates';

export interface OutgoingMessage extends RenderedMessage {
  id: string;
  channel: NotificationChannel;
  to: string;
}

export interface DeliveryAdapter {
  send(message: OutgoingMessage): Promise<void>;
}

function maskAddress(to: string): string {
  if (/^1\d{10}$/.test(to)) return `${to.slice(0, 3)}****${to.slice(-4)}`;
  const at = to.indexOf('@');
  if (at > 0 && !to.startsWith('supervisor@') && !to.startsWith('manager@'))
    return `${to.slice(0, 1)}***${to.slice(at)}`;
  return to;
}

export function createLogAdapter(logger: Logger): DeliveryAdapter {
  return {
    async send({ id, channel, to, subject, body }) {
      // The body may carry the customer's surname; the address is masked (PIPL: never full values in logs).
      logger.info(
        { notificationId: id, channel, to: maskAddress(to), subject, chars: body.length },
        'notification delivered (log adapter)',
      );
    },
  };
}

export function createSmtpAdapter(smtpUrl: string, from: string): DeliveryAdapter {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send({ id, to, subject, body }) {
      await transport.sendMail({ from, to, subject, text: body, messageId: `<${id}@motordesk>` });
    },
  };
}

/** Routes each channel to its adapter: e-mail over SMTP when configured, everything else to the log. */
export function createDeliveryRouter(
  adapters: Partial<Record<NotificationChannel, DeliveryAdapter>>,
  fallback: DeliveryAdapter,
): DeliveryAdapter {
  return { send: (message) => (adapters[message.channel] ?? fallback).send(message) };
}

/** The outcome of a form on Keymeter's pages: a status when it worked, an alert when it did not. */
export type FormMessage = { tone: 'ok' | 'error'; text: string };

export function FormNote({ message, className = '' }: { message: FormMessage | null; className?: string }) {
  if (!message) return null;
  return (
    <p role={message.tone === 'error' ? 'alert' : 'status'} className={`km-message km-${message.tone} ${className}`.trim()}>
      {message.text}
    </p>
  );
}

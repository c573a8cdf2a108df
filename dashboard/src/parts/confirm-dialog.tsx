import { ModalDialog } from './modal-dialog.js';

/** "Are you sure?" for destructive actions: Cancel has the focus, so Enter alone deletes nothing. */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <ModalDialog title={title} titleId="confirm-title" describedBy="confirm-message" onEscape={onCancel} role="alertdialog">
      <p id="confirm-message">{message}</p>
      <div className="row">
        <button type="button" onClick={onCancel} data-initial-focus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </ModalDialog>
  );
}

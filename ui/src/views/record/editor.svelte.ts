// One chart form open at a time. Opening another while the open one has unsaved changes keeps
// it open and shows a warning in it instead of throwing the changes away.

export type OpenForm = {
  /** Which form: "coverage", "diagnosis", "episode", … */
  key: string;
  /** The record being edited; null when adding. */
  recordId: number | null;
  /** The id of the button that opened the form, to return focus to on close. */
  opener: string;
};

export class ChartEditor {
  open = $state<OpenForm | null>(null);
  /** The open form has changes that are not saved. */
  dirty = $state(false);
  /** Someone tried to open another form while this one had unsaved changes. */
  blocked = $state(false);

  isOpen(key: string): boolean {
    return this.open?.key === key;
  }

  /** Opens a form, unless the open one has unsaved changes (then that one shows a warning). */
  request(key: string, recordId: number | null, opener: string): boolean {
    const current = this.open;
    if (current && current.key === key && current.recordId === recordId) {
      focusSoon(`${key}-form-title`);
      return true;
    }
    if (current && this.dirty) {
      this.blocked = true;
      focusSoon(`${current.key}-leave-warning`);
      return false;
    }
    this.open = { key, recordId, opener };
    this.dirty = false;
    this.blocked = false;
    return true;
  }

  /** Closes the form and puts focus back on what opened it (or on `focusId`). */
  close(focusId?: string): void {
    const opener = this.open?.opener;
    this.open = null;
    this.dirty = false;
    this.blocked = false;
    const target = focusId ?? opener;
    if (target) focusSoon(target);
  }
}

function focusSoon(id: string): void {
  setTimeout(() => document.getElementById(id)?.focus(), 0);
}

// What the record view shows only after a click (the sync wizard and its steps, the seat form): one chunk of
// its own, loaded once the rows are on screen (record-view.tsx), not before them.
export { SeatForm } from './seat-form.tsx';
export { Wizard } from './wizard.tsx';

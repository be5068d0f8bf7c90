// "50/6000": how much of ConnectWise's field limit a text uses; over the limit it turns red and says so.
export function CharCounter({ id, length, max }: { id?: string; length: number; max: number }) {
  const over = length > max;
  return (
    <span id={id} class={`cw-counter${over ? ' over' : ''}`}>
      {length}/{max}
      {over && <span class="sr-only"> characters: too long</span>}
    </span>
  );
}

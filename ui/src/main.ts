import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

async function start() {
  // In a plain browser during `npm run dev`, talk to an in-memory fake backend instead of Tauri.
  if (import.meta.env.DEV && !('__TAURI_INTERNALS__' in window)) {
    const { install } = await import('./dev/mock');
    install();
  }
  mount(App, { target: document.getElementById('app')! });
}

void start();

import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('kms-lab: #app element missing from index.html');
target.textContent = '';
mount(App, { target });

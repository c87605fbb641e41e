import { render } from 'preact'
import { afterEach, describe, expect, it } from 'vitest'
import { parseTemplate, TemplateEditor } from './template-editor.tsx'

const container = document.createElement('div')
afterEach(() => render(null, container))

const preview = () => JSON.parse(container.querySelector('pre')!.textContent)

describe('TemplateEditor', () => {
  it('previews the default body when the template is empty', () => {
    render(
      <TemplateEditor
        text=""
        onChange={() => {}}
        projectId="prj_1"
        environment="test"
        eventName="checkout-completed"
      />,
      container,
    )
    expect(preview()).toMatchObject({
      type: 'checkout-completed',
      projectId: 'prj_1',
      environment: 'test',
      data: { total: 29 },
    })
  })

  it('renders placeholders with their JSON type and names the ones that lead nowhere', () => {
    const text = JSON.stringify({ total: '{{props.total}}', note: 'order {{event.name}}', missing: '{{props.nope}}' })
    render(
      <TemplateEditor
        text={text}
        onChange={() => {}}
        projectId="prj_1"
        environment="live"
        eventName="checkout-completed"
      />,
      container,
    )
    expect(preview()).toEqual({ total: 29, note: 'order checkout-completed', missing: null })
    expect(container.textContent).toContain('Leads nowhere in the sample: props.nope')
  })

  it('says when the template is not JSON yet', () => {
    render(
      <TemplateEditor
        text="{ total: "
        onChange={() => {}}
        projectId="prj_1"
        environment="test"
        eventName="checkout-completed"
      />,
      container,
    )
    expect(container.querySelector('.field-error')?.textContent).toMatch(/^Not JSON yet/)
    expect(() => parseTemplate('{ total: ')).toThrow(/not JSON/)
    expect(parseTemplate('  ')).toBeNull()
  })
})
